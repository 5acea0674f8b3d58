"""RAAS: Register As A Service, person registers for the Belgian social-security network."""

__version__ = "0.1.0"
