KubeSimCommand.main()
