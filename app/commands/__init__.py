"""What each command of the command line does; app/cli.py declares them and imports a module
here only when its command is chosen."""
