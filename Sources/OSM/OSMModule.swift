public enum OSMModule {}
