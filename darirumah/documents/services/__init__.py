"""Every write of the documents app: numbering, the register, certificates, signing and the
statement letters of a circular. Each function takes the caller's Access and checks it."""
