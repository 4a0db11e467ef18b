from districtcontrol.cli import main

main()
