"""Dialogs: forms, confirmations, pickers, help, errors."""
