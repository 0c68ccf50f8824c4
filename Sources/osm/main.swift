print("osm")
