package io.dicomspanner.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostNameValidatorTest {

    private final HostNameValidator validator = new HostNameValidator();

    @Test
    void namesAndAddressesAreHosts() {
        assertThat(validator.isValid("pacs-a.example.org", null)).isTrue();
        assertThat(validator.isValid("10.1.2.3", null)).isTrue();
        assertThat(validator.isValid("fd00::10:1", null)).isTrue();
        assertThat(validator.isValid("localhost", null)).isTrue();
    }

    @Test
    void spacesSchemesAndBadLabelsAreNot() {
        assertThat(validator.isValid("bad host", null)).isFalse();
        assertThat(validator.isValid("http://pacs", null)).isFalse();
        assertThat(validator.isValid("-pacs.example.org", null)).isFalse();
        assertThat(validator.isValid("pacs..example.org", null)).isFalse();
        assertThat(validator.isValid("a".repeat(254), null)).isFalse();
    }
}
