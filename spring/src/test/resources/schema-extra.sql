create table made_by_schema_sql (id int);
