CREATE SEQUENCE product_id_seq START WITH 1 INCREMENT BY 50;

CREATE TABLE product (
    id         bigint        PRIMARY KEY,
    sku        varchar(40)   NOT NULL UNIQUE,
    name       varchar(200)  NOT NULL,
    unit_price numeric(10,2) NOT NULL CHECK (unit_price >= 0),
    stock      integer       NOT NULL CHECK (stock >= 0)
);
