package com.revshare.ledger.archfixture.application;

import com.revshare.ledger.archfixture.persistence.Repository;

/** Breaks the layers on purpose (see DependencyRuleTest): application naming a persistence class. */
public class Service {
    public int count(Repository repository) {
        return repository.rows();
    }
}
