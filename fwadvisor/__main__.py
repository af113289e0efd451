from fwadvisor.cli.app import run

run()
