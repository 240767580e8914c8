# The newsroom's English dates, written out as its style guide has them ("December 2, 2026");
# anything not named here is Django's own English format.
DATE_FORMAT = "F j, Y"
DATETIME_FORMAT = "F j, Y, g:i A"
# Under a reader's comment.
SHORT_DATETIME_FORMAT = "M j, Y - g:iA"
