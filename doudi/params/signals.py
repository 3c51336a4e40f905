from django.dispatch import Signal

# sent after a parameter value is approved: kwargs value (ParameterValue), user, on (date).
# doudi.benefits listens: an approved 低保 standard recomputes the live benefits it reaches (DB-14).
parameter_approved = Signal()
