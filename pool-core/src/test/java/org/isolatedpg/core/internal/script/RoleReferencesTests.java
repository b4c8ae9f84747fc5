package org.isolatedpg.core.internal.script;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoleReferencesTests {

    @Test
    void findsTheNewOwnerOfAnyObject() {
        assertThat(RoleReferences.in("ALTER SCHEMA audit OWNER TO shop_owner")).containsExactly("shop_owner");
        assertThat(RoleReferences.in("ALTER FUNCTION s.f(a integer, b text) OWNER TO \"Shop Owner\""))
                .containsExactly("Shop Owner");
        assertThat(RoleReferences.in("ALTER TABLE ONLY \"To\".\"OWNER\" OWNER TO App_Owner"))
                .containsExactly("app_owner");
        assertThat(RoleReferences.in("ALTER LARGE OBJECT 16403 OWNER TO \"we \"\"quote\"\"\""))
                .containsExactly("we \"quote\"");
    }

    @Test
    void leavesAlterStatementsThatDoMoreThanChangeTheOwner() {
        assertThat(RoleReferences.in("ALTER TABLE t ADD COLUMN c int, OWNER TO r"))
                .isEmpty();
        assertThat(RoleReferences.in("ALTER TABLE t RENAME TO owner_to")).isEmpty();
        assertThat(RoleReferences.in("ALTER ROLE r SET search_path TO app")).isEmpty();
    }

    @Test
    void findsTheGranteesOfAGrantWithItsGrantor() {
        assertThat(RoleReferences.in("GRANT SELECT,INSERT ON TABLE audit.event TO \"Shop Auditor\" WITH GRANT OPTION"))
                .containsExactly("Shop Auditor");
        assertThat(RoleReferences.in("GRANT SELECT(id) ON TABLE s.\"to\" TO a, GROUP b, PUBLIC GRANTED BY c"))
                .containsExactly("a", "b", "c");
        assertThat(RoleReferences.in("GRANT ALL ON FUNCTION s.f(\"to\" integer) TO CURRENT_USER"))
                .isEmpty();
    }

    @Test
    void findsTheRolesARevokeNamesButNotPublic() {
        assertThat(RoleReferences.in("REVOKE ALL ON FUNCTION s.f(order_id bigint) FROM PUBLIC"))
                .isEmpty();
        assertThat(RoleReferences.in("REVOKE GRANT OPTION FOR SELECT ON t FROM r1, r2 CASCADE"))
                .containsExactly("r1", "r2");
    }

    @Test
    void findsTheRolesOfDefaultPrivileges() {
        assertThat(
                        RoleReferences.in(
                                "ALTER DEFAULT PRIVILEGES FOR ROLE shop_owner IN SCHEMA audit GRANT SELECT ON TABLES TO reader"))
                .containsExactly("shop_owner", "reader");
        assertThat(RoleReferences.in("ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC"))
                .isEmpty();
        assertThat(RoleReferences.in("ALTER DEFAULT PRIVILEGES FOR USER a, \"B\" REVOKE ALL ON TABLES FROM c"))
                .containsExactly("a", "B", "c");
    }

    @Test
    void findsNoRolesInOtherStatements() {
        assertThat(RoleReferences.in("SELECT 'GRANT x TO y'")).isEmpty();
        assertThat(RoleReferences.in("CREATE TABLE grant_to (owner text)")).isEmpty();
        assertThat(RoleReferences.in("COMMENT ON TABLE t IS 'ALTER TABLE t OWNER TO r'"))
                .isEmpty();
        assertThat(RoleReferences.in("")).isEmpty();
    }
}
