COPY book (isbn, title) FROM stdin;
978-0134685991	Effective Java
978-0596009205	Head First Design Patterns
978-1617294945	Spring in Action
\.
