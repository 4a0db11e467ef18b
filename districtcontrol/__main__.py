from districtcontrol.cli import run

run()
