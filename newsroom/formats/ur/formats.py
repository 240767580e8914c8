# Urdu dates as Pakistani papers print them: day, month, year ("2 دسمبر 2026"), the month's
# name and "صبح"/"شام" from Django's Urdu translation; the Arabic comma between date and time.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، g:i A"
TIME_FORMAT = "g:i A"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y، g:i A"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
# Lakh and crore: 12,34,567.
NUMBER_GROUPING = (3, 2, 0)
