"""The command-line layer: the only code that talks to the terminal."""
