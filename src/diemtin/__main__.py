from diemtin.cli import main

main()
