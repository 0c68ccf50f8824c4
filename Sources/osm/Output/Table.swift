/// Rows of text in aligned columns, as upstream's tabwriter prints them (minimum width 6,
/// padding 3, the last column not padded).
struct Table {
    var header: [String]
    var rows: [[String]] = []

    static let minimumWidth = 6
    static let padding = 3

    init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    mutating func append(_ row: [String]) {
        rows.append(row)
    }

    func render() -> String {
        let lines = [header] + rows
        let columns = lines.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for line in lines {
            for (index, cell) in line.enumerated() where index < line.count - 1 {
                widths[index] = max(widths[index], max(Self.width(cell) + Self.padding, Self.minimumWidth))
            }
        }
        var out = ""
        for line in lines {
            for (index, cell) in line.enumerated() {
                out += cell
                if index < line.count - 1 {
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
