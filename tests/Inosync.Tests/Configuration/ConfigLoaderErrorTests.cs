using System.Text;
using Inosync.Configuration;
using Inosync.Testing;
using Inosync.Tests.Support;
using Inosync.Toml;

namespace Inosync.Tests.Configuration;

/// <summary>Every error is one line, "file:line:column: what is wrong", with the right exit code.</summary>
public sealed class ConfigLoaderErrorTests : IDisposable
{
    private const string Valid = """
        wpath = "www"
        rpath = "/var/www"
        rnodes = ["web1:"]

        """;

    private readonly TempTree _dir = new("inosync-config-");

    public ConfigLoaderErrorTests() => _dir.CreateDirectory("www");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Missing_file_is_no_input_and_names_the_path_and_reason()
    {
        string path = _dir.PathOf("nope.toml");

        string message = ConfigLoad.Fails(() => ConfigLoader.Load(path), ExitCode.NoInput);

        message.Should().Be($"{path}: cannot read the configuration file: no such file or directory");
    }

    [Fact]
    public void Missing_directory_is_no_input()
    {
        string path = _dir.PathOf("nope/sync.toml");

        ConfigLoad.Fails(() => ConfigLoader.Load(path), ExitCode.NoInput)
            .Should().Be($"{path}: cannot read the configuration file: no such file or directory");
    }

    [Fact]
    public void A_directory_is_no_input()
    {
        string path = _dir.CreateDirectory("conf.d");

        ConfigLoad.Fails(() => ConfigLoader.Load(path), ExitCode.NoInput)
            .Should().Be($"{path}: cannot read the configuration file: it is a directory");
    }

    [Fact]
    public void Invalid_toml_passes_the_parser_message_through()
    {
        const string Toml = "wpath = \"www\"\nrpath = \n";
        string parserMessage = FluentActions.Invoking(() => TomlReader.Parse(Encoding.UTF8.GetBytes(Toml), SyncToml))
            .Should().Throw<TomlException>().Which.Message;

        string message = _dir.LoadFails(Toml);

        message.Should().Be(parserMessage).And.StartWith($"{SyncToml}:2:9: ");
    }

    [Fact]
    public void Unknown_key_suggests_the_nearest_known_key() =>
        _dir.LoadFails("wpth = \"www\"\n").Should().Be(At(1, 1, "unknown key 'wpth' (did you mean 'wpath'?)"));

    [Fact]
    public void Unknown_key_lists_equally_near_keys() =>
        _dir.LoadFails(Valid + "path = \"x\"\n").Should().Be(At(4, 1, "unknown key 'path' (did you mean 'wpath' or 'rpath'?)"));

    [Theory]
    [InlineData("logfile", "log_file")]
    [InlineData("exclude", "rexcludes")]
    [InlineData("RSPEED", "rspeed")]
    [InlineData("initialsync", "initial_sync")]
    [InlineData("queue_capcity", "queue_capacity")]
    public void Unknown_key_suggestions(string key, string suggestion) =>
        _dir.LoadFails(Valid + $"{key} = 1\n").Should().Be(At(4, 1, $"unknown key '{key}' (did you mean '{suggestion}'?)"));

    [Fact]
    public void Unknown_key_far_from_every_key_gets_no_suggestion() =>
        _dir.LoadFails(Valid + "colour = \"blue\"\n").Should().Be(At(4, 1, "unknown key 'colour'"));

    [Fact]
    public void Suggestions_come_from_the_keys_of_that_table() =>
        _dir.LoadFails(Valid + "[[node]]\ntarget = \"web2:\"\npasword_file = \"p\"\n")
            .Should().Be(At(6, 1, "unknown key 'pasword_file' (did you mean 'password_file'?)"));

    [Fact]
    public void Global_only_key_in_a_sync_table_is_rejected() =>
        _dir.LoadFails(Valid + "[[sync]]\nwpath = \"www\"\nlog_file = \"x.log\"\n")
            .Should().Be(At(6, 1, "'log_file' is only allowed at the top level of the file, not in a [[sync]] table"));

    [Theory]
    [InlineData("max_processes = 0", "'max_processes' must be at least 1, not 0")]
    [InlineData("max_processes = 5000", "'max_processes' must be at most 1024, not 5000")]
    [InlineData("max_processes = \"4\"", "'max_processes' must be an integer")]
    public void Max_processes_out_of_range_or_not_a_number_is_rejected(string line, string message) =>
        _dir.LoadFails(Valid + line + "\n").Should().StartWith(At(4, 17, message)); // the value's position

    [Fact]
    public void Max_processes_in_a_sync_table_is_rejected() =>
        _dir.LoadFails(Valid + "[[sync]]\nwpath = \"www\"\nmax_processes = 2\n")
            .Should().Be(At(6, 1, "'max_processes' is only allowed at the top level of the file, not in a [[sync]] table"));

    [Fact]
    public void Node_key_outside_a_node_table_is_rejected() =>
        _dir.LoadFails(Valid + "password_file = \"secret\"\n")
            .Should().Be(At(4, 1, "'password_file' is only allowed in a node table ([[node]] or [[sync.node]])"));

    [Fact]
    public void Sync_key_in_a_node_table_is_rejected() =>
        _dir.LoadFails(Valid + "[[node]]\ntarget = \"web2:\"\nwpath = \"www\"\n")
            .Should().Be(At(6, 1, "'wpath' is not allowed in a node table (allowed there: target, rpath, extra, ssh, password_file, tls, tls_ca_file, rspeed, moves)"));

    [Fact]
    public void Python_inosync_emask_is_explained() =>
        _dir.LoadFails(Valid + "emask = [\"IN_CREATE\"]\n").Should().Be(At(4, 1, "'emask' is not supported: inosync syncs on every kind of change"));

    [Fact]
    public void Nested_sync_tables_are_rejected() =>
        _dir.LoadFails("[[sync]]\nwpath = \"www\"\n[[sync.sync]]\nwpath = \"x\"\n")
            .Should().Be(At(3, 8, "[[sync]] tables cannot be nested"));

    [Theory]
    [InlineData("rspeed = \"fast\"", 10, "'rspeed' must be an integer, not a string")]
    [InlineData("rspeed = 1.5", 10, "'rspeed' must be an integer, not a float")]
    [InlineData("initial_sync = \"yes\"", 16, "'initial_sync' must be a boolean (true or false), not a string")]
    [InlineData("edelay = \"10\"", 10, "'edelay' must be a number of seconds, not a string")]
    [InlineData("rexcludes = \"*.tmp\"", 13, "'rexcludes' must be an array of strings, not a string")]
    [InlineData("rexcludes = [\"a\", 1]", 19, "'rexcludes' must be an array of strings, but item 2 is an integer")]
    [InlineData("extra = \"-e ssh\"", 9, "'extra' must be an array of strings, not a string (write each argument as its own string: extra = [\"-e\", \"ssh -p 2222\"])")]
    [InlineData("watcher = 1", 11, "'watcher' must be a string, not an integer")]
    [InlineData("full_sync_interval = 3600", 22, "'full_sync_interval' must be a duration string such as \"6h\" or \"1h30m\", not an integer")]
    [InlineData("name = true", 8, "'name' must be a string, not a boolean")]
    [InlineData("log_file = [\"a\"]", 12, "'log_file' must be a string, not an array")]
    [InlineData("create_dirs = 1", 15, "'create_dirs' must be a boolean (true or false), not an integer")]
    public void Wrong_type_names_both_types(string line, int column, string expected) =>
        _dir.LoadFails(Valid + line + "\n").Should().Be(At(4, column, expected));

    [Fact]
    public void Wrong_type_in_rnodes_points_at_the_item() =>
        _dir.LoadFails("wpath = \"www\"\nrpath = \"/x\"\nrnodes = [\"a:\", 2]\n")
            .Should().Be(At(3, 17, "'rnodes' must be an array of strings, but item 2 is an integer"));

    [Fact]
    public void Sync_written_as_a_single_table_is_rejected() =>
        _dir.LoadFails(Valid + "[sync]\nwpath = \"www\"\n")
            .Should().Be(At(4, 1, "'sync' must be an array of tables (write [[sync]]), not a table"));

    [Fact]
    public void Empty_sync_array_is_rejected() =>
        _dir.LoadFails(Valid + "sync = []\n").Should().Be(At(4, 8, "'sync' is an empty array: write at least one [[sync]] table"));

    [Fact]
    public void Missing_wpath_points_at_the_table_that_lacks_it() =>
        _dir.LoadFails("rpath = \"/x\"\nrnodes = [\"a:\"]\n").Should().Be(At(1, 1, "missing key 'wpath' (the directory to watch)"));

    [Fact]
    public void Missing_nodes_points_at_the_table_that_lacks_them() =>
        _dir.LoadFails("wpath = \"www\"\nrpath = \"/x\"\n")
            .Should().Be(At(1, 1, "no nodes: add 'rnodes' or a [[node]] table"));

    [Fact]
    public void Empty_rnodes_is_rejected() =>
        _dir.LoadFails("wpath = \"www\"\nrpath = \"/x\"\nrnodes = []\n")
            .Should().Be(At(3, 10, "'rnodes' is empty: name at least one node, or add a [[node]] table"));

    [Fact]
    public void Missing_wpath_directory_names_the_resolved_path() =>
        _dir.LoadFails("wpath = \"gone/../missing\"\nrpath = \"/x\"\nrnodes = [\"a:\"]\n")
            .Should().Be(At(1, 9, $"wpath '{_dir.PathOf("missing")}' does not exist"));

    [Fact]
    public void Wpath_that_is_a_file_is_rejected()
    {
        _dir.WriteFile("file", "");

        _dir.LoadFails("wpath = \"file\"\nrpath = \"/x\"\nrnodes = [\"a:\"]\n")
            .Should().Be(At(1, 9, $"wpath '{_dir.PathOf("file")}' is not a directory"));
    }

    [Theory]
    [InlineData("rspeed = -1", 10, "'rspeed' must be at least 0, not -1")]
    [InlineData("rspeed = 3000000000", 10, "'rspeed' must be at most 2147483647, not 3000000000")]
    [InlineData("edelay = -1", 10, "'edelay' must be 0 or more seconds, not -1")]
    [InlineData("edelay = -0.5", 10, "'edelay' must be 0 or more seconds, not -0.5")]
    [InlineData("edelay = nan", 10, "'edelay' must be 0 or more seconds, not nan")]
    [InlineData("edelay = -inf", 10, "'edelay' must be 0 or more seconds, not -inf")]
    [InlineData("edelay = inf", 10, "'edelay' must be at most 4233600 seconds (49 days), not inf")]
    [InlineData("queue_capacity = 0", 18, "'queue_capacity' must be at least 1, not 0")]
    [InlineData("max_names_per_directory = 0", 27, "'max_names_per_directory' must be at least 1, not 0")]
    public void Out_of_range_numbers_are_rejected(string line, int column, string expected) =>
        _dir.LoadFails(Valid + line + "\n").Should().Be(At(4, column, expected));

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("1x")]
    [InlineData("1m1h")]
    [InlineData("1h1h")]
    [InlineData("h")]
    [InlineData("1.5h")]
    [InlineData("1h 30m")]
    [InlineData("-1h")]
    public void Bad_durations_are_rejected(string value) =>
        _dir.LoadFails(Valid + $"full_sync_interval = \"{value}\"\n").Should().Be(At(4, 22,
            $"'full_sync_interval' must be a duration such as \"30s\", \"15m\", \"6h\", \"1d\" or \"1h30m\" (units d, h, m, s, largest first), or \"off\", not \"{value}\""));

    [Fact]
    public void Zero_duration_is_rejected() =>
        _dir.LoadFails(Valid + "full_sync_interval = \"0s\"\n")
            .Should().Be(At(4, 22, "'full_sync_interval' must be longer than zero (write \"off\" for none)"));

    [Fact]
    public void Too_long_duration_is_rejected() =>
        _dir.LoadFails(Valid + "full_sync_interval = \"50d\"\n").Should().Be(At(4, 22, "'full_sync_interval' must be at most 49 days, not \"50d\""));

    [Theory]
    [InlineData("watcher = \"inotfy\"", 11, "'watcher' must be one of \"auto\", \"inotify\", \"portable\", not \"inotfy\"")]
    [InlineData("moves = \"move\"", 9, "'moves' must be one of \"rename\", \"transfer\", not \"move\"")]
    [InlineData("log_level = \"verbose\"", 13, "'log_level' must be one of \"debug\", \"info\", \"information\", \"warning\", \"error\", not \"verbose\"")]
    public void Bad_enum_values_list_the_accepted_ones(string line, int column, string expected) =>
        _dir.LoadFails(Valid + line + "\n").Should().Be(At(4, column, expected));

    [Theory]
    [InlineData("name = \" \"", 8, "'name' is empty")]
    [InlineData("rsync = \"\"", 9, "'rsync' is empty (leave it out to find rsync on PATH)")]
    [InlineData("log_file = \"\"", 12, "'log_file' is empty")]
    [InlineData("pid_file = \"~/inosync.pid\"", 12, "'pid_file' starts with '~', which inosync does not expand: write the path in full")]
    [InlineData("extra = [\"-a\", \"\"]", 16, "'extra' item 2 is empty (rsync would take an empty argument for a file name)")]
    public void Empty_values_are_rejected(string line, int column, string expected) =>
        _dir.LoadFails(Valid + line + "\n").Should().Be(At(4, column, expected));

    private string SyncToml => _dir.PathOf("sync.toml");

    private string At(int line, int column, string message) => $"{SyncToml}:{line}:{column}: {message}";
}
