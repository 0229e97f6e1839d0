"""The one demo dataset: a fictional jurisdiction (the Republic of Veridia), its institutions,
a company, a joint grievance mechanism and a user for every role. It powers `ungpkit demo`,
local development and the tests."""
