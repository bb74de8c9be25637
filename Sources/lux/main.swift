import LuxCLI

LuxCommand.main()
