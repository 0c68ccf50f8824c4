import KubeClient

/// Rows of text in aligned columns, byte for byte as upstream's Go `text/tabwriter` prints them
/// (`cmd/cli/formatters.go`: minwidth 6, tabwidth 4, padding 3, padchar ' ', no flags).
///
/// Upstream writes cells joined by tabs. A cell followed by a tab is padded to its column's width
/// (its widest such cell + 3, at least 6); the text after a line's last tab is not padded. So
/// `mesh list` (`"%s\t%s\t%s\n"`) leaves its last column unpadded, while `namespace list`
/// (`"%s\t%s\t%s\t\n"`) ends every cell with a tab and pads the last column too:
/// `tabTerminated` says which.
struct Table {
    var header: [String]
    var rows: [[String]] = []
    /// Every cell, the last included, is followed by a tab (trailing spaces on every line).
    var tabTerminated: Bool

    static let minimumWidth = 6
    static let padding = 3

    init(header: [String], rows: [[String]] = [], tabTerminated: Bool = false) {
        self.header = header
        self.rows = rows
        self.tabTerminated = tabTerminated
    }

    mutating func append(_ row: [String]) {
        rows.append(row)
    }

    /// How many leading cells of a line are followed by a tab.
    private func paddedCells(in line: [String]) -> Int {
        tabTerminated ? line.count : max(line.count - 1, 0)
    }

    /// Cells come from the cluster: control characters are shown escaped, never acted on.
    func render() -> String {
        let lines = ([header] + rows).map { $0.map(ServerText.printable) }
        // Every line has the same number of cells here, so one column block spans all lines.
        let columns = lines.map(\.count).max() ?? 0
        var widths = Array(repeating: Self.minimumWidth, count: columns)
        for line in lines {
            for index in 0..<paddedCells(in: line) {
                widths[index] = max(widths[index], Self.width(line[index]) + Self.padding)
            }
        }
        var out = ""
        for line in lines {
            let padded = paddedCells(in: line)
            for (index, cell) in line.enumerated() {
                out += cell
                if index < padded {
                    out += String(repeating: " ", count: widths[index] - Self.width(cell))
                }
            }
            out += "\n"
        }
        return out
    }

    /// Go's tabwriter counts UTF-8 code points.
    private static func width(_ text: String) -> Int {
        text.unicodeScalars.count
    }
}
