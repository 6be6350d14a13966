"""magazine: typesets a Chinese corporate magazine from YAML and Markdown into print-ready PDF.

The pipeline runs in one direction: manifest → content → compose → render → finish.
"""

__version__ = "0.1.0"
