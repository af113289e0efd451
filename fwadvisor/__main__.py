from fwadvisor.cli.app import main

main()
