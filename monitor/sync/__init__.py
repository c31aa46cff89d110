"""The flow of validate, plan, apply and destroy: the config checked, its state read, the plan made and applied."""
