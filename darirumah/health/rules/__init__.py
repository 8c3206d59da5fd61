"""Health rules as pure functions over plain data (no ORM), one module per part:

- roster.py: what a day becomes under isolation or a closure;
"""
