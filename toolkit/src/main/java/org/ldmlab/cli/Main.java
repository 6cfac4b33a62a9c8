package org.ldmlab.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code ldmlab} command: dispatches to a subcommand; bad input exits 2 with a one-line reason. */
public final class Main {
    private final Map<String, Command> commands = new LinkedHashMap<>();

    public Main() {
        for (Command c : List.<Command>of(new InfoCommand(), new ScheduleCommand(), new DatasetCommand(),
                new RenderCommand(), new TourCommand(), new TrainCommand(),
                new SampleCommand(), new EditCommand(), new BenchCommand(), new ExportCommand(),
                new EvalCommand(), new InpaintCommand(), new FidCommand(), new FlopsCommand(),
                new SweepCommand(), new FiguresCommand(), new NotebooksCommand(), new AttentionCommand(),
                new AttentionScoreCommand(), new EditScoreCommand(), new CompareCommand(), new InvertCommand(),
                new InversionBenchCommand(), new EditBenchCommand())) {
            commands.put(c.name(), c);
        }
    }

    public static void main(String[] argv) {
        System.exit(new Main().run(argv, System.out, System.err));
    }

    public static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Runs one command line; returns the exit status instead of exiting, so tests can call it. */
    public int run(String[] argv, PrintStream out, PrintStream err) {
        if (argv.length == 0 || argv[0].equals("help") || argv[0].equals("--help") || argv[0].equals("-h")) {
            return help(argv.length > 1 ? argv[1] : null, out, err);
        }
        Command command = commands.get(argv[0]);
        if (command == null) {
            err.println("ldmlab: unknown command '" + argv[0] + "'; commands: " + String.join(", ", commands.keySet()));
            return 2;
        }
        String[] rest = Arrays.copyOfRange(argv, 1, argv.length);
        if (Arrays.asList(rest).contains("--help")) {
            out.println(command.usage());
            return 0;
        }
        try {
            return command.run(Args.parse(command.name(), rest), out);
        } catch (Exception e) {
            return ErrorReport.print(command, e, err);
        }
    }

    private int help(String topic, PrintStream out, PrintStream err) {
        if (topic != null) {
            Command c = commands.get(topic);
            if (c == null) {
                err.println("ldmlab: no command '" + topic + "'; commands: " + String.join(", ", commands.keySet()));
                return 2;
            }
            out.println(c.usage());
            return 0;
        }
        out.println("ldmlab: latent diffusion you can see, on a laptop CPU\n\ncommands:");
        commands.values().forEach(c -> out.printf("  %-10s %s%n", c.name(), c.summary()));
        out.println("\n`ldmlab help <command>` shows a command's options.");
        return 0;
    }
}
