"""ungpkit: the UN Guiding Principles on Business and Human Rights, put to work on technology."""

__version__ = "0.1.0"
