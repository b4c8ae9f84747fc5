package org.isolatedpg.core.internal.template;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoleHandoverTests {

    @Test
    void takesTheQuotedNameFirstThenEveryWord() {
        assertThat(RoleHandover.candidates("ERROR: role \"App \"\"Reader\"\"\" already exists"))
                .startsWith("App \"Reader\"")
                .contains("ERROR", "role", "already", "exists");
    }

    @Test
    void findsTheNameInATranslatedMessageAndInTheKeyOfARaceOnTheUniqueIndex() {
        assertThat(RoleHandover.candidates("FEHLER: Rolle »app_reader« existiert bereits"))
                .contains("app_reader");
        assertThat(RoleHandover.candidates("ERROR: duplicate key value violates unique constraint"
                        + " \"pg_authid_rolname_index\"\n  Detail: Key (rolname)=(app_reader) already exists."))
                .startsWith("pg_authid_rolname_index", "app_reader");
    }
}
