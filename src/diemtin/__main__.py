"""``python -m diemtin``: the CLI."""

from diemtin.cli import main

# Guarded: worker processes of ``--executor processes`` import the main module again.
if __name__ == "__main__":
    main()
