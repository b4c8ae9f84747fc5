--liquibase formatted sql

--changeset carol:report-view
CREATE VIEW ${report_view} AS
SELECT c.name, t.discount FROM customer c JOIN tier t ON t.code = c.tier;
--rollback DROP VIEW ${report_view};
