"""The ``babble`` command line: thin wrappers over the Python API, no logic of their own."""
