package memdb.oplog;

class NoneOpLogContractTest extends OpLogContractTest {
    @Override
    OpLog open() {
        return OpLog.none();
    }
}
