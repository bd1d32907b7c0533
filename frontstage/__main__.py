from frontstage.cli import main

main()
