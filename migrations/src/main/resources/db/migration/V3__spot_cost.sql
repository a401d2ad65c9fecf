-- What a spot costs: the spot price per hour (USD) of its instance type in its zone at launch.
ALTER TABLE spots ADD COLUMN hourly_price numeric(12, 6);
