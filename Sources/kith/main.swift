import CLI

await Kith.main()
