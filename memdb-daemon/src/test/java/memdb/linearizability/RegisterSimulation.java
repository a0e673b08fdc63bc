package memdb.linearizability;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Generates linearizable histories by simulating clients of a real (atomic) register: each operation
 * takes effect at one random instant between its invocation and its completion, so the history is
 * linearizable by construction. Overlap comes from a seeded scheduler picking which client moves next.
 * Some operations fail (never applied) and some end unknown (applied or not, at random). A fresh
 * process id replaces a client after an unknown outcome, as in Jepsen. {@link #corrupt} then breaks a
 * history the way a buggy store would. Randomness is injected; everything replays from the seed.
 */
final class RegisterSimulation {
    record Settings(int clients, int operations, int valuesMax, double failRate, double unknownRate) {}

    private enum Fate { OK, FAIL, UNKNOWN_APPLIED, UNKNOWN_NOT_APPLIED }

    private static final class Client {
        int process;
        boolean seenKnown; // the chaos harness's CAS workload: the value this client last saw, if it knows one
        String seen;
        Input input;
        Fate fate;
        boolean applied;
        Output output;
    }

    private RegisterSimulation() {}

    static History generate(SplittableRandom random, Settings settings) {
        return generate(random, settings, false);
    }

    /**
     * As above; with {@code casWorkload}, clients act like the chaos harness's CAS register workload
     * ({@code memdb.chaos.CasRegisterWorkload}): reads, compare-and-sets from the value the client last
     * saw to a value no one wrote before, and set-if-absent when it knows no value (after an unknown or
     * failed outcome) — the shape whose many unknown outcomes used to run the checker out of budget.
     */
    static History generate(SplittableRandom random, Settings settings, boolean casWorkload) {
        History.Builder history = History.builder();
        List<Client> clients = new ArrayList<>();
        for (int index = 0; index < settings.clients(); index++) {
            Client client = new Client();
            client.process = index;
            clients.add(client);
        }
        RegisterState register = RegisterModel.INITIAL;
        int invoked = 0;
        int nextProcess = settings.clients();
        while (invoked < settings.operations() || clients.stream().anyMatch(client -> client.input != null)) {
            Client client = clients.get(random.nextInt(clients.size()));
            if (client.input == null) {
                if (invoked < settings.operations()) {
                    client.input = casWorkload ? casWorkloadInput(random, client, invoked) : randomInput(random, settings.valuesMax());
                    client.fate = randomFate(random, settings);
                    client.applied = false;
                    history.invoke(client.process, client.input);
                    invoked++;
                }
            } else if (!client.applied && (client.fate == Fate.OK || client.fate == Fate.UNKNOWN_APPLIED)) {
                client.output = outputOf(register, client.input);
                register = Objects.requireNonNull(RegisterModel.step(register, client.input, client.output));
                client.applied = true;
            } else {
                learn(client);
                switch (client.fate) {
                    case OK -> history.ok(client.process, client.output);
                    case FAIL -> history.fail(client.process);
                    case UNKNOWN_APPLIED, UNKNOWN_NOT_APPLIED -> {
                        history.unknown(client.process);
                        client.process = nextProcess++;
                    }
                }
                client.input = null;
            }
        }
        return history.build();
    }

    private static Input randomInput(SplittableRandom random, int valuesMax) {
        return switch (random.nextInt(3)) {
            case 0 -> Input.read();
            case 1 -> Input.write(randomValue(random, valuesMax));
            default -> Input.cas(random.nextInt(4) == 0 ? null : randomValue(random, valuesMax), randomValue(random, valuesMax));
        };
    }

    private static Input casWorkloadInput(SplittableRandom random, Client client, int invoked) {
        if (random.nextInt(3) == 0 || (!client.seenKnown && random.nextBoolean())) {
            return Input.read();
        }
        return Input.cas(client.seenKnown ? client.seen : null, "p" + client.process + "-" + invoked);
    }

    /** What a client of the CAS workload knows after its operation completes. */
    private static void learn(Client client) {
        boolean ok = client.fate == Fate.OK;
        if (ok && client.output instanceof Output.ReadValue value) {
            client.seen = value.value();
            client.seenKnown = true;
        } else if (ok && client.output instanceof Output.CasResult cas && cas.swapped()) {
            client.seen = ((Input.Cas) client.input).newValue();
            client.seenKnown = true;
        } else if (!(client.input instanceof Input.Read)) {
            client.seenKnown = false;
        }
    }

    static String randomValue(SplittableRandom random, int valuesMax) {
        return Integer.toString(random.nextInt(valuesMax));
    }

    private static Fate randomFate(SplittableRandom random, Settings settings) {
        double roll = random.nextDouble();
        if (roll < settings.failRate()) {
            return Fate.FAIL;
        }
        if (roll < settings.failRate() + settings.unknownRate()) {
            return random.nextBoolean() ? Fate.UNKNOWN_APPLIED : Fate.UNKNOWN_NOT_APPLIED;
        }
        return Fate.OK;
    }

    private static Output outputOf(RegisterState register, Input input) {
        if (input instanceof Input.Read) {
            return Output.value(register.value());
        }
        if (input instanceof Input.Cas cas) {
            return Output.swapped(Objects.equals(cas.expected(), register.value()));
        }
        return Output.written();
    }

    /** A copy of {@code history} with one ok output or one written value changed at random. */
    static History corrupt(SplittableRandom random, History history, int valuesMax) {
        List<Event> events = new ArrayList<>(history.events());
        List<Integer> candidates = new ArrayList<>();
        for (int index = 0; index < events.size(); index++) {
            if (events.get(index) instanceof Event.Ok || events.get(index).getClass() == Event.Invoke.class
                    && ((Event.Invoke) events.get(index)).input() instanceof Input.Write) {
                candidates.add(index);
            }
        }
        if (candidates.isEmpty()) {
            return history;
        }
        int index = candidates.get(random.nextInt(candidates.size()));
        events.set(index, mutate(random, events.get(index), valuesMax));
        return new History(events);
    }

    private static Event mutate(SplittableRandom random, Event event, int valuesMax) {
        String value = random.nextInt(5) == 0 ? null : randomValue(random, valuesMax + 1);
        if (event instanceof Event.Invoke invoke) {
            return new Event.Invoke(invoke.process(), Input.write(value == null ? "x" : value), invoke.time());
        }
        Event.Ok ok = (Event.Ok) event;
        Output output = ok.output();
        if (output instanceof Output.ReadValue) {
            output = Output.value(value);
        } else if (output instanceof Output.CasResult cas) {
            output = Output.swapped(!cas.swapped());
        }
        return new Event.Ok(ok.process(), output, ok.time());
    }
}
