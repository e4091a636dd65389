"""Vietnamese number and date formats: 1.234.567,89 and 21/11/2026.

Django's own ``vi`` formats set the separators but no grouping (so 1234567 stays ungrouped) and
use dashes in short dates; Vietnamese administrative documents write 21/11/2026.
"""

DATE_FORMAT = r"\N\gà\y d \t\há\n\g m \nă\m Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = r"H:i \n\gà\y d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = r"\t\há\n\g m/Y"
MONTH_DAY_FORMAT = "d/m"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
