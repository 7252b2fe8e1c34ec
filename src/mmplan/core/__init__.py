"""The ground floor: errors, limits, defaults, file reading and the frozen base.

Nothing here imports anything else of mmplan.
"""
