create table ledger_partner (
    partner_id varchar(63) primary key,
    name text not null,
    currency char(3) not null
);
