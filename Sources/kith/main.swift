import CLI

Kith.main()
