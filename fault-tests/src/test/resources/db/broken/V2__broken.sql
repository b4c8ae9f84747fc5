CREATE TABLEX broken (id int);
