public enum KubeClientModule {}
