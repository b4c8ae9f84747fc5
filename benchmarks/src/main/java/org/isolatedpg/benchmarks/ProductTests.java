package org.isolatedpg.benchmarks;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.UUID;
import javax.sql.DataSource;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 280 tests on the real-world schema ({@link ProductDdl}), run by the benchmark through the launcher with its scripts
 * as the template's source. Each test writes what the product itself writes for one unit of work, in one transaction,
 * and reads it back: a Quartz job with its triggers, a Spring Batch job run, a Camunda or Flowable deployment with a
 * running instance, messages and sessions.
 */
@IsolatedPostgres
@ExtendWith(TrivialTests.Timing.class)
class ProductTests {

    static final int REPETITIONS = 56;
    static final int TESTS = 5 * REPETITIONS;

    private static final byte[] BPMN = ("<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\">"
                    + "<process id=\"order\" isExecutable=\"true\"><startEvent id=\"start\"/>"
                    + "<userTask id=\"approve\"/><endEvent id=\"end\"/></process></definitions>")
            .getBytes(StandardCharsets.UTF_8);

    @RepeatedTest(REPETITIONS)
    void schedulesAQuartzJob(DataSource dataSource, RepetitionInfo repetition) throws SQLException {
        try (Connection connection = begin(dataSource)) {
            String job = "job-" + repetition.getCurrentRepetition();
            long now = System.currentTimeMillis();
            update(
                    connection,
                    "INSERT INTO quartz.qrtz_job_details (sched_name, job_name, job_group, description, job_class_name,"
                            + " is_durable, is_nonconcurrent, is_update_data, requests_recovery, job_data)"
                            + " VALUES ('scheduler', ?, 'reports', 'nightly report', 'com.acme.ReportJob', true, true,"
                            + " false, false, ?)",
                    job,
                    new byte[64]);
            for (String type : new String[] {"SIMPLE", "CRON"}) {
                update(
                        connection,
                        "INSERT INTO quartz.qrtz_triggers (sched_name, trigger_name, trigger_group, job_name,"
                                + " job_group, next_fire_time, prev_fire_time, priority, trigger_state, trigger_type,"
                                + " start_time, misfire_instr) VALUES ('scheduler', ?, 'reports', ?, 'reports', ?, -1,"
                                + " 5, 'WAITING', ?, ?, 0)",
                        job + "-" + type,
                        job,
                        now + 60_000,
                        type,
                        now);
            }
            update(
                    connection,
                    "INSERT INTO quartz.qrtz_simple_triggers (sched_name, trigger_name, trigger_group, repeat_count,"
                            + " repeat_interval, times_triggered) VALUES ('scheduler', ?, 'reports', -1, 60000, 0)",
                    job + "-SIMPLE");
            update(
                    connection,
                    "INSERT INTO quartz.qrtz_cron_triggers (sched_name, trigger_name, trigger_group,"
                            + " cron_expression, time_zone_id) VALUES ('scheduler', ?, 'reports', '0 0 2 * * ?', 'UTC')",
                    job + "-CRON");
            expect(
                    connection,
                    2,
                    "SELECT count(*) FROM quartz.qrtz_triggers t JOIN quartz.qrtz_job_details j"
                            + " USING (sched_name, job_name, job_group) WHERE t.trigger_state = 'WAITING'");
            connection.commit();
        }
    }

    @RepeatedTest(REPETITIONS)
    void runsASpringBatchJob(DataSource dataSource) throws SQLException {
        try (Connection connection = begin(dataSource)) {
            long instance = next(connection, "spring_batch.batch_job_instance_seq");
            update(
                    connection,
                    "INSERT INTO spring_batch.batch_job_instance (job_instance_id, version, job_name, job_key)"
                            + " VALUES (?, 0, 'importOrders', md5(?::text))",
                    instance,
                    instance);
            long execution = next(connection, "spring_batch.batch_job_execution_seq");
            Timestamp now = new Timestamp(System.currentTimeMillis());
            update(
                    connection,
                    "INSERT INTO spring_batch.batch_job_execution (job_execution_id, version, job_instance_id,"
                            + " create_time, start_time, status, exit_code, last_updated)"
                            + " VALUES (?, 0, ?, ?, ?, 'STARTED', 'UNKNOWN', ?)",
                    execution,
                    instance,
                    now,
                    now,
                    now);
            for (String parameter : new String[] {"input.file", "run.id"}) {
                update(
                        connection,
                        "INSERT INTO spring_batch.batch_job_execution_params (job_execution_id, parameter_name,"
                                + " parameter_type, parameter_value, identifying)"
                                + " VALUES (?, ?, 'java.lang.String', 'orders.csv', 'Y')",
                        execution,
                        parameter);
            }
            long step = next(connection, "spring_batch.batch_step_execution_seq");
            update(
                    connection,
                    "INSERT INTO spring_batch.batch_step_execution (step_execution_id, version, step_name,"
                            + " job_execution_id, create_time, start_time, status, commit_count, read_count,"
                            + " write_count) VALUES (?, 0, 'load', ?, ?, ?, 'STARTED', 0, 0, 0)",
                    step,
                    execution,
                    now,
                    now);
            update(
                    connection,
                    "INSERT INTO spring_batch.batch_step_execution_context (step_execution_id, short_context)"
                            + " VALUES (?, '{\"batch.taskletType\":\"chunk\"}')",
                    step);
            update(
                    connection,
                    "UPDATE spring_batch.batch_step_execution SET status = 'COMPLETED', read_count = 100,"
                            + " write_count = 100, commit_count = 10, version = version + 1 WHERE step_execution_id = ?",
                    step);
            expect(
                    connection,
                    1,
                    "SELECT count(*) FROM spring_batch.batch_job_execution e JOIN spring_batch.batch_step_execution s"
                            + " USING (job_execution_id) WHERE s.status = 'COMPLETED'");
            connection.commit();
        }
    }

    @RepeatedTest(REPETITIONS)
    void deploysAndStartsACamundaProcess(DataSource dataSource) throws SQLException {
        try (Connection connection = begin(dataSource)) {
            String deployment = UUID.randomUUID().toString();
            String definition = "order:1:" + deployment;
            String instance = UUID.randomUUID().toString();
            Timestamp now = new Timestamp(System.currentTimeMillis());
            update(
                    connection,
                    "INSERT INTO camunda.act_re_deployment (id_, name_, deploy_time_, source_) VALUES (?, 'orders',"
                            + " ?, 'process application')",
                    deployment,
                    now);
            update(
                    connection,
                    "INSERT INTO camunda.act_ge_bytearray (id_, rev_, name_, deployment_id_, bytes_, generated_,"
                            + " type_, create_time_) VALUES (?, 1, 'order.bpmn', ?, ?, false, 1, ?)",
                    UUID.randomUUID().toString(),
                    deployment,
                    BPMN,
                    now);
            update(
                    connection,
                    "INSERT INTO camunda.act_re_procdef (id_, rev_, name_, key_, version_, deployment_id_,"
                            + " resource_name_, suspension_state_, startable_) VALUES (?, 1, 'Order', 'order', 1, ?,"
                            + " 'order.bpmn', 1, true)",
                    definition,
                    deployment);
            update(
                    connection,
                    "INSERT INTO camunda.act_ru_execution (id_, rev_, root_proc_inst_id_, proc_inst_id_,"
                            + " business_key_, proc_def_id_, act_id_, is_active_, is_concurrent_, is_scope_,"
                            + " is_event_scope_, suspension_state_, sequence_counter_, proc_def_key_)"
                            + " VALUES (?, 1, ?, ?, 'order-42', ?, 'approve', true, false, true, false, 1, 2, 'order')",
                    instance,
                    instance,
                    instance,
                    definition);
            update(
                    connection,
                    "INSERT INTO camunda.act_hi_procinst (id_, proc_inst_id_, business_key_, proc_def_key_,"
                            + " proc_def_id_, start_time_, start_act_id_, root_proc_inst_id_, state_)"
                            + " VALUES (?, ?, 'order-42', 'order', ?, ?, 'start', ?, 'ACTIVE')",
                    instance,
                    instance,
                    definition,
                    now,
                    instance);
            expect(
                    connection,
                    1,
                    "SELECT count(*) FROM camunda.act_ru_execution e JOIN camunda.act_re_procdef d"
                            + " ON d.id_ = e.proc_def_id_ JOIN camunda.act_re_deployment r ON r.id_ = d.deployment_id_");
            connection.commit();
        }
    }

    @RepeatedTest(REPETITIONS)
    void deploysAFlowableProcessWithATask(DataSource dataSource) throws SQLException {
        try (Connection connection = begin(dataSource)) {
            String deployment = UUID.randomUUID().toString();
            String definition = "order:1:" + deployment;
            String task = UUID.randomUUID().toString();
            Timestamp now = new Timestamp(System.currentTimeMillis());
            update(
                    connection,
                    "INSERT INTO flowable.act_re_deployment (id_, name_, key_, deploy_time_, engine_version_)"
                            + " VALUES (?, 'orders', 'orders', ?, '7.1.0')",
                    deployment,
                    now);
            update(
                    connection,
                    "INSERT INTO flowable.act_ge_bytearray (id_, rev_, name_, deployment_id_, bytes_, generated_)"
                            + " VALUES (?, 1, 'order.bpmn20.xml', ?, ?, false)",
                    UUID.randomUUID().toString(),
                    deployment,
                    BPMN);
            update(
                    connection,
                    "INSERT INTO flowable.act_re_procdef (id_, rev_, name_, key_, version_, deployment_id_,"
                            + " resource_name_, has_start_form_key_, has_graphical_notation_, suspension_state_,"
                            + " derived_version_) VALUES (?, 1, 'Order', 'order', 1, ?, 'order.bpmn20.xml', false,"
                            + " false, 1, 0)",
                    definition,
                    deployment);
            for (String table : new String[] {"act_ru_task", "act_hi_taskinst"}) {
                update(
                        connection,
                        "INSERT INTO flowable." + table + " (id_, rev_, proc_def_id_, task_def_key_, name_,"
                                + " assignee_, priority_, "
                                + (table.equals("act_ru_task") ? "create_time_" : "start_time_")
                                + ") VALUES (?, 1, ?, 'approve', 'Approve order', 'kermit', 50, ?)",
                        task,
                        definition,
                        now);
            }
            update(
                    connection,
                    "INSERT INTO activiti.act_id_user (id_, rev_, first_, last_, email_) VALUES (?, 1, 'Kermit',"
                            + " 'the Frog', 'kermit@example.org')",
                    task);
            expect(
                    connection,
                    1,
                    "SELECT count(*) FROM flowable.act_ru_task t JOIN flowable.act_re_procdef d"
                            + " ON d.id_ = t.proc_def_id_ WHERE t.assignee_ = 'kermit'");
            connection.commit();
        }
    }

    @RepeatedTest(REPETITIONS)
    void storesMessagesSessionsAndAcls(DataSource dataSource) throws SQLException {
        try (Connection connection = begin(dataSource)) {
            String group = UUID.randomUUID().toString();
            Timestamp now = new Timestamp(System.currentTimeMillis());
            update(
                    connection,
                    "INSERT INTO spring_integration.int_message_group (group_key, region, complete,"
                            + " last_released_sequence, created_date, updated_date) VALUES (?, 'DEFAULT', 0, 0, ?, ?)",
                    group,
                    now,
                    now);
            for (int m = 0; m < 2; m++) {
                String message = UUID.randomUUID().toString();
                update(
                        connection,
                        "INSERT INTO spring_integration.int_message (message_id, region, created_date,"
                                + " message_content) VALUES (?, 'DEFAULT', ?, ?)",
                        message,
                        now,
                        new byte[256]);
                update(
                        connection,
                        "INSERT INTO spring_integration.int_group_to_message (group_key, message_id, region)"
                                + " VALUES (?, ?, 'DEFAULT')",
                        group,
                        message);
            }
            String session = UUID.randomUUID().toString();
            long millis = System.currentTimeMillis();
            update(
                    connection,
                    "INSERT INTO spring_session.spring_session (primary_id, session_id, creation_time,"
                            + " last_access_time, max_inactive_interval, expiry_time, principal_name)"
                            + " VALUES (?, ?, ?, ?, 1800, ?, 'kermit')",
                    session,
                    UUID.randomUUID().toString(),
                    millis,
                    millis,
                    millis + 1_800_000);
            update(
                    connection,
                    "INSERT INTO spring_session.spring_session_attributes (session_primary_id, attribute_name,"
                            + " attribute_bytes) VALUES (?, 'SPRING_SECURITY_CONTEXT', ?)",
                    session,
                    new byte[512]);
            update(
                    connection,
                    "WITH sid AS (INSERT INTO spring_acl.acl_sid (principal, sid) VALUES (true, 'kermit')"
                            + " RETURNING id), class AS (INSERT INTO spring_acl.acl_class (class)"
                            + " VALUES ('com.acme.Order') RETURNING id), object AS (INSERT INTO"
                            + " spring_acl.acl_object_identity (object_id_class, object_id_identity, owner_sid,"
                            + " entries_inheriting) SELECT class.id, '42', sid.id, true FROM class, sid RETURNING id,"
                            + " owner_sid) INSERT INTO spring_acl.acl_entry (acl_object_identity, ace_order, sid, mask,"
                            + " granting, audit_success, audit_failure) SELECT id, 0, owner_sid, 1, true, false, false"
                            + " FROM object");
            expect(
                    connection,
                    2,
                    "SELECT count(*) FROM spring_integration.int_group_to_message g JOIN spring_integration.int_message"
                            + " m USING (message_id) JOIN spring_session.spring_session s ON s.principal_name = 'kermit'"
                            + " JOIN spring_acl.acl_entry a ON a.granting");
            connection.commit();
        }
    }

    /** The test's connection, in a transaction as the products' own code runs its unit of work. */
    private static Connection begin(DataSource dataSource) throws SQLException {
        Connection connection = dataSource.getConnection();
        TrivialTests.HANDOVERS.add(System.nanoTime() - TrivialTests.started());
        connection.setAutoCommit(false);
        return connection;
    }

    private static void update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            if (statement.executeUpdate() != 1) {
                throw new IllegalStateException("Expected one row from " + sql);
            }
        }
    }

    private static long next(Connection connection, String sequence) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT nextval('" + sequence + "')");
                ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    private static void expect(Connection connection, long rows, String query) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query);
                ResultSet row = statement.executeQuery()) {
            row.next();
            if (row.getLong(1) != rows) {
                throw new IllegalStateException("Expected " + rows + " from " + query + " but got " + row.getLong(1)
                        + ": the test saw another test's rows, or lost its own");
            }
        }
    }
}
