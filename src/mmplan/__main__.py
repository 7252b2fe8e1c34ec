from mmplan.cli import main

main()
