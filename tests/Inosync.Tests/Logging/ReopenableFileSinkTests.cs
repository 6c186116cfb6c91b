using Inosync.Cli.Logging;
using Inosync.Testing;
using Serilog.Events;
using Serilog.Parsing;

namespace Inosync.Tests.Logging;

public sealed class ReopenableFileSinkTests : IDisposable
{
    private const string Template = "{Message:lj}{NewLine}";
    private readonly TempTree _dir = new("inosync-log-");

    public void Dispose() => _dir.Dispose();

    private string LogPath => _dir.PathOf("inosync.log");

    private static LogEvent At(DateTime localDay, string text) => new(
        new DateTimeOffset(localDay.AddHours(12), TimeZoneInfo.Local.GetUtcOffset(localDay.AddHours(12))),
        LogEventLevel.Information,
        null,
        new MessageTemplateParser().Parse(text),
        []);

    [Fact]
    public void Daily_rotation_moves_each_finished_day_to_a_dated_file_and_keeps_the_live_file_at_its_path()
    {
        var day1 = new DateTime(2026, 11, 20);
        using (var sink = new ReopenableFileSink(LogPath, Template, rotateDaily: true))
        {
            sink.Emit(At(day1, "first day"));
            sink.Emit(At(day1.AddDays(1), "second day"));
        }

        File.ReadAllText(LogPath).Should().Be("second day\n");
        File.ReadAllText(LogPath + ".20261120").Should().Be("first day\n");
    }

    [Fact]
    public void Daily_rotation_keeps_the_newest_14_days()
    {
        var start = new DateTime(2026, 1, 1);
        using (var sink = new ReopenableFileSink(LogPath, Template, rotateDaily: true))
        {
            for (int day = 0; day < 20; day++)
            {
                sink.Emit(At(start.AddDays(day), $"day {day}"));
            }
        }

        var dated = Directory.EnumerateFiles(_dir.Root).Select(Path.GetFileName).Where(n => n!.StartsWith("inosync.log.", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        dated.Should().HaveCount(ReopenableFileSink.KeptDays);
        dated[0].Should().Be("inosync.log.20260106", "days 1 to 5 are older than the 14 kept");
        dated[^1].Should().Be("inosync.log.20260119");
        File.ReadAllText(LogPath).Should().Be("day 19\n");
    }

    [Fact]
    public void External_rotation_never_renames_and_sighup_reopen_starts_a_fresh_file()
    {
        var day1 = new DateTime(2026, 11, 20);
        using (var sink = new ReopenableFileSink(LogPath, Template, rotateDaily: false))
        {
            sink.Emit(At(day1, "first day"));
            sink.Emit(At(day1.AddDays(1), "second day"));
            File.Move(LogPath, LogPath + ".1");
            sink.Reopen();
            sink.Emit(At(day1.AddDays(1), "after reopen"));
        }

        Directory.EnumerateFiles(_dir.Root).Select(Path.GetFileName).Should().BeEquivalentTo("inosync.log", "inosync.log.1");
        File.ReadAllText(LogPath + ".1").Should().Be("first day\nsecond day\n");
        File.ReadAllText(LogPath).Should().Be("after reopen\n");
    }

    [Fact]
    public void Reopen_refuses_a_symbolic_link_planted_at_the_path_and_keeps_writing_to_the_open_file()
    {
        string victim = _dir.WriteFile("victim", "untouched\n");
        var day = new DateTime(2026, 11, 20);
        using (var sink = new ReopenableFileSink(LogPath, Template, rotateDaily: false))
        {
            sink.Emit(At(day, "before"));
            File.Move(LogPath, LogPath + ".1");
            File.CreateSymbolicLink(LogPath, victim);

            sink.Invoking(s => s.Reopen()).Should().Throw<IOException>().WithMessage("*symbolic link*");
            sink.Emit(At(day, "after"));
        }

        File.ReadAllText(victim).Should().Be("untouched\n", "root must never write through a link planted in the log directory");
        File.ReadAllText(LogPath + ".1").Should().Be("before\nafter\n");
    }

    [Fact]
    public void A_log_file_created_by_reopen_is_0640()
    {
        using (var sink = new ReopenableFileSink(LogPath, Template, rotateDaily: false))
        {
            File.Move(LogPath, LogPath + ".1");
            sink.Reopen();
        }

        File.GetUnixFileMode(LogPath).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
    }
}
