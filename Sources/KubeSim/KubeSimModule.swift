public enum KubeSimModule {}
