from spinlens.cli import main

main()
