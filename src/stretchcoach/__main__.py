from stretchcoach.cli import main

main()
