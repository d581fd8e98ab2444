"""Desk forms. Validators here check shape; services check meaning and raise field errors."""
