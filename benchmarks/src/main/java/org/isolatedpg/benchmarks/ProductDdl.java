package org.isolatedpg.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real-world schema of about 150 tables: the PostgreSQL DDL that open-source Java products publish in their jars (on
 * this module's classpath, see its POM), copied at run time into one SQL script per product, each product in a schema
 * of its own (Camunda, Flowable and Activiti all name their tables {@code ACT_…}).
 */
final class ProductDdl {

    /** A product: the schema its tables go to, and its DDL resources in the order its own installer runs them. */
    record Product(String schema, String label, List<String> resources) {}

    private static final String CAMUNDA = "org/camunda/bpm/engine/db/create/activiti.postgres.create.";
    private static final String FLOWABLE = "org/flowable/";
    private static final String ACTIVITI = "org/activiti/db/create/activiti.postgres.create.";

    static final List<Product> PRODUCTS = List.of(
            new Product("quartz", "Quartz 2.5", List.of("org/quartz/impl/jdbcjobstore/tables_postgres.sql")),
            new Product(
                    "spring_batch",
                    "Spring Batch 6.0",
                    List.of("org/springframework/batch/core/schema-postgresql.sql")),
            new Product(
                    "spring_integration",
                    "Spring Integration JDBC 7.0",
                    List.of("org/springframework/integration/jdbc/schema-postgresql.sql")),
            new Product(
                    "spring_session",
                    "Spring Session JDBC 4.0",
                    List.of("org/springframework/session/jdbc/schema-postgresql.sql")),
            new Product("spring_acl", "Spring Security ACL 7.0", List.of("createAclSchemaPostgres.sql")),
            new Product(
                    "camunda",
                    "Camunda 7.24 engine",
                    List.of(
                            CAMUNDA + "engine.sql",
                            CAMUNDA + "history.sql",
                            CAMUNDA + "identity.sql",
                            CAMUNDA + "case.engine.sql",
                            CAMUNDA + "case.history.sql",
                            CAMUNDA + "decision.engine.sql",
                            CAMUNDA + "decision.history.sql")),
            new Product(
                    "flowable",
                    "Flowable 7.1 engine",
                    List.of(
                            FLOWABLE + "common/db/create/flowable.postgres.create.common.sql",
                            FLOWABLE + "db/create/flowable.postgres.create.engine.sql",
                            FLOWABLE + "db/create/flowable.postgres.create.history.sql",
                            FLOWABLE + "idm/db/create/flowable.postgres.create.identity.sql",
                            FLOWABLE + "eventregistry/db/create/flowable.postgres.create.eventregistry.sql")),
            new Product(
                    "activiti",
                    "Activiti 6.0 engine",
                    List.of(ACTIVITI + "engine.sql", ACTIVITI + "history.sql", ACTIVITI + "identity.sql")));

    private ProductDdl() {}

    /** Writes {@code target/schema-products/NN_<schema>.sql}, one script per product, and returns the folder. */
    static Path write(Path target) throws IOException {
        Path directory = target.resolve("schema-products");
        Files.createDirectories(directory);
        try (var old = Files.list(directory)) {
            for (Path file : old.toList()) {
                Files.delete(file);
            }
        }
        for (int i = 0; i < PRODUCTS.size(); i++) {
            Product product = PRODUCTS.get(i);
            StringBuilder script = new StringBuilder()
                    .append("-- ")
                    .append(product.label())
                    .append(", from ")
                    .append(product.resources())
                    .append('\n')
                    .append("CREATE SCHEMA ")
                    .append(product.schema())
                    .append(";\nSET search_path TO ")
                    .append(product.schema())
                    .append(";\n");
            for (String resource : product.resources()) {
                script.append("\n-- ")
                        .append(resource)
                        .append('\n')
                        .append(read(resource))
                        .append('\n');
            }
            Files.writeString(directory.resolve(String.format("%02d_%s.sql", i + 1, product.schema())), script);
        }
        return directory;
    }

    /** The schemas as a SQL list: {@code 'quartz', 'spring_batch', …}. */
    static String schemaList() {
        return String.join(
                ", ", PRODUCTS.stream().map(p -> "'" + p.schema() + "'").toList());
    }

    private static String read(String resource) {
        try (InputStream in = ProductDdl.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("No " + resource + " on the classpath: see the benchmarks POM");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + resource, e);
        }
    }
}
