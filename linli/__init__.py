"""Linli 邻里: the working system of an urban district's Party-building and grassroots governance."""
