from fwadvisor.cli.entry import run

run()
